{{%AUTOESCAPE context="HTML"}}<h1>{{t_home__title}}</h1>
<p class="lead">{{t_home__intro}}</p>
<h2>{{t_home__municipalities}}</h2>
{{#NO_MUNICIPALITIES}}<p>{{t_home__none}}</p>{{/NO_MUNICIPALITIES}}
<ul class="cards">
{{#MUNICIPALITY}}<li class="card">
<h3><a href="/m/{{SLUG}}">{{NAME}}</a></h3>
<p>{{GOVERNORATE}}</p>
</li>
{{/MUNICIPALITY}}</ul>
<h2>{{t_documents__verify__title}}</h2>
<p><a href="/verify">{{t_documents__verify__home_link}}</a></p>
