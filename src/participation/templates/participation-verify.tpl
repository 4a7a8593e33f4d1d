{{%AUTOESCAPE context="HTML"}}<h1>{{t_participation__verify__title}}</h1>
<p class="lead">{{t_participation__verify__intro}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{>FORM}}
