{{%AUTOESCAPE context="HTML"}}<h1>{{HEADING}}</h1>
<p>{{MESSAGE}}</p>
{{#LINK}}<p><a href="{{HREF}}">{{TEXT}}</a></p>
{{/LINK}}<p><a href="/">{{t_error__back_home}}</a></p>
